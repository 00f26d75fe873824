"""Floor 1: helpers every domain needs once (design §3).

Nothing here imports a domain app; domains import from here.

- uploads.py: checking uploaded files by content under a per-use UploadPolicy,
  random stored names, private storage without URLs;
- phones.py: the one phone normaliser (E.164, +7) and its form field;
- forms.py: a service's ValidationError on its form, the checked-files field;
- admin.py: ReadOnlyAdmin.
"""
