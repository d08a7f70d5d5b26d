"""Every name under which the cache keeps something for readers, declared once."""

PAGE = "page:v3:"  # + a digest of the address and whether it is compressed (pages.py)
PIECE = "block:v1:"  # + the release and a digest of the piece's name (pieces.py)
PURGES = "pages:purges"  # how many purges have begun: each takes the next number (store.py)
ENDED = "pages:ended"  # a new token each time one ends (its keys' versions written)
VERSION = "pages:key:"  # + a surrogate key: the number of its last purge
CHECKED = "pages:checked:"  # + a page's or piece's name: ENDED when last found current
SCHEDULE = "pages:schedule"  # when pages next change by themselves (moments.py)
