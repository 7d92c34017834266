from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_LIBRARY_SIZE = 2 * 1024 * 1024
LIBRARY_SUFFIXES = (".yaml", ".yml")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files and cleans to a list of them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(LIBRARY_SUFFIXES)}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class LibraryUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Library files"),
        help_text=_("One or more YAML files in the format of docs/framework-libraries.md."),
    )
    reason = forms.CharField(
        label=_("Reason for this change"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs={"placeholder": _("optional, shown in the history")}),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        for upload in files:
            if not upload.name.lower().endswith(LIBRARY_SUFFIXES):
                raise ValidationError(
                    _("“{name}” is not a .yaml file.").format(name=upload.name), code="suffix"
                )
            if upload.size > MAX_LIBRARY_SIZE:
                raise ValidationError(
                    _("“{name}” is larger than {limit}.").format(
                        name=upload.name, limit=filesizeformat(MAX_LIBRARY_SIZE)
                    ),
                    code="size",
                )
        return files

    def library_files(self) -> list[tuple[str, bytes]]:
        """The uploads as (name, content) pairs for the loader."""
        return [(upload.name, upload.read()) for upload in self.cleaned_data["files"]]
