"""The crawler and the checks, independent of the database.

``fetch`` (polite HTTP: robots.txt, per-host concurrency and delay, size/time limits, charset
decoding), ``extract`` (list items and dates, navigation columns, footer and meta tags, links),
``pii`` (ID numbers, mobile numbers, bank cards), ``words`` (word lists with Aho-Corasick),
``crawl`` (one site → a :class:`~gongkai.monitoring.engine.crawl.SiteReport`) and ``rules``
(a report → findings). The Django side (``services``) persists what they return.
"""
