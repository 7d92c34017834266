"""The web layer: how every app's pages and API endpoints stand on the access layer.

``mixins`` resolves the organisation in the URL and the member's access, ``generic``
holds the list/detail/edit/delete/history views every app subclasses, ``api`` the
DRF base (permission class, organisation-scoped viewset, JSON errors), ``pages`` the
installation's front page. It sits above the domain apps' models and services:
an app's views and API use it; its models, services and selectors never do, and
``core`` (the base everything stands on) imports no app at all.
"""
