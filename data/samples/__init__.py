"""Bundled sample clips, installed as ``runform.samples`` (see ``runform.data``)."""
