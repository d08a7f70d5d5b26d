"""The readers' site: pages, feeds, sitemaps, structured data, the filter forms,
the front page, related news, a meeting's coverage, the commitments tracker and
the read-only API. It reads published stories only (``Article.objects.published``)
and never imports the desk."""
