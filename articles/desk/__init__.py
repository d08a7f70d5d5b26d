"""The desk's rules and tools: the workflow every save goes through
(``workflow``), the story form, revisions compared, changes to many stories,
copy from the wire and the names it suggests linking. The admin (``articles/admin``)
is its face; the readers' site never imports it."""
