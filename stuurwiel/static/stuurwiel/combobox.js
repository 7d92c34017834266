/* Combobox with a listbox popup (WAI-ARIA Authoring Practices, "combobox" pattern).
 *
 * Markup (graph/widgets/lookup.html): a [data-combobox] box holding a hidden input
 * with the chosen id, a text input with role=combobox, and a listbox that HTMX
 * fills with role=option items while one types. This script only handles the
 * keyboard, the pointer and the ARIA states; it works through event delegation,
 * so boxes that HTMX swaps in later work too. Without it, the typed name is
 * looked up on the server when the form is submitted.
 */
(function () {
  "use strict";

  function parts(el) {
    const box = el.closest("[data-combobox]");
    if (!box) return null;
    return {
      box: box,
      input: box.querySelector("[role=combobox]"),
      hidden: box.querySelector("[data-combobox-value]"),
      listbox: box.querySelector("[role=listbox]"),
      chosen: box.querySelector(".combobox-chosen"),
    };
  }

  function options(c) {
    return Array.from(c.listbox.querySelectorAll("[role=option]:not([aria-disabled=true])"));
  }

  function open(c) {
    const hasItems = c.listbox.querySelector("[role=option]") !== null;
    c.listbox.hidden = !hasItems;
    c.input.setAttribute("aria-expanded", hasItems ? "true" : "false");
  }

  function close(c) {
    c.listbox.hidden = true;
    c.input.setAttribute("aria-expanded", "false");
    c.input.removeAttribute("aria-activedescendant");
    options(c).forEach((o) => o.setAttribute("aria-selected", "false"));
  }

  function activate(c, option) {
    options(c).forEach((o) => o.setAttribute("aria-selected", o === option ? "true" : "false"));
    if (option) {
      c.input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }
  }

  function pick(c, option) {
    c.hidden.value = option.dataset.value;
    c.input.value = option.dataset.label;
    c.chosen.innerHTML = option.innerHTML;
    c.chosen.prepend((c.box.dataset.chosenPrefix || "") + " ");
    close(c);
    // Fields that follow this choice (HTMX hx-trigger "change ... from:body") refresh.
    c.hidden.dispatchEvent(new Event("change", { bubbles: true }));
  }

  document.addEventListener("keydown", function (event) {
    if (event.target.getAttribute("role") !== "combobox") return;
    const c = parts(event.target);
    if (!c) return;
    const all = options(c);
    const current = c.listbox.querySelector("[aria-selected=true]");
    const index = all.indexOf(current);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!all.length) return;
      open(c);
      const step = event.key === "ArrowDown" ? 1 : -1;
      const next = index < 0 ? (step > 0 ? 0 : all.length - 1) : (index + step + all.length) % all.length;
      activate(c, all[next]);
    } else if (event.key === "Enter") {
      if (!c.listbox.hidden) {
        event.preventDefault(); // never submit the form while choosing
        if (current) pick(c, current);
        else if (all.length === 1) pick(c, all[0]);
      }
    } else if (event.key === "Escape") {
      if (!c.listbox.hidden) {
        event.preventDefault();
        close(c);
      }
    }
  });

  document.addEventListener("input", function (event) {
    if (event.target.getAttribute("role") !== "combobox") return;
    const c = parts(event.target);
    // Typing again means the earlier choice no longer holds.
    if (c && c.hidden.value) {
      c.hidden.value = "";
      c.hidden.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  document.addEventListener("mousedown", function (event) {
    const option = event.target.closest("[role=option]");
    if (!option || option.getAttribute("aria-disabled") === "true") return;
    const c = parts(option);
    if (!c) return;
    event.preventDefault(); // keep the focus in the input
    pick(c, option);
  });

  document.addEventListener("focusout", function (event) {
    if (event.target.getAttribute("role") !== "combobox") return;
    const c = parts(event.target);
    if (c) close(c);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.getAttribute("role") !== "listbox") return;
    const c = parts(event.target);
    if (!c) return;
    if (document.activeElement === c.input) open(c);
    c.input.removeAttribute("aria-activedescendant");
  });
})();
