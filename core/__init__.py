"""Floor 1: helpers every domain needs once (design §3).

Nothing here imports a domain app; domains import from here.
"""
