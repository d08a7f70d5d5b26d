"""Readers' pages kept, and kept current: every cache rule of the site.

Everything kept for readers is keyed by what it shows, named as surrogate keys,
and dropped when one of them is purged; nothing is kept by a site-wide
generation. The public API, module by module (no module reads another's
private names):

- ``surrogates``: the keys. ``key(thing)``, ``listing(model, pk)``,
  ``everything(model)`` and the site's lists (``STORIES``, ``HOME``,
  ``COMMITMENTS``, ``REVISED``); ``story_changed``, ``withdrawn``,
  ``row_changed`` and ``links_changed``: what a change makes stale.
- ``edge``: ``show(*keys)`` notes what the response being made shows,
  ``recording()`` collects it, ``is_recording()`` says whether a reader's
  response is being made (kept in ``newsroom/shown.py``, so that the models can
  note their rows without importing this package); purges sent to the edge
  (Varnish with xkey).
- ``store``: the version store. ``purge(keys, hard=False)`` is the one way
  anything kept is dropped, here and at the edge; ``batched()`` purges a block's
  keys once; ``versions_now``, ``versions_since`` and ``unchanged`` judge what
  was kept against the purges since.
- ``pages``: whole pages. ``cache_public_page(view)`` is the one way a view
  says that its pages may be kept (``PublicArticleMixin`` applies it to its
  views); ``PageCacheMiddleware`` serves and keeps them; ``read_parameters`` is told
  the query parameters a kept page may have (the site's, at start-up).
- ``pieces``: parts of pages (a story's text, a list's teasers, the menu, the
  filter forms' lists). ``kept(name, make)``, ``kept_many``; the template tags
  ``{% keep %}``, ``teasers`` and ``kept_widget`` use them.
- ``moments``: when pages change by themselves (a scheduled story, a pin's
  end). ``schedule()``, ``reschedule()``.
- ``cache_keys``: every name the cache keeps these under.
- ``handlers``: which changes purge what, subscribed to the domain signals
  (``articles/signals.py``) and to the rows' own.
"""
