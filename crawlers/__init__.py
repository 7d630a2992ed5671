"""Scrapy project: one spider per source kind, a storage pipeline and per-source health."""
