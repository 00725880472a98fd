"""Local mirror of the four news sources for tests and the demo (see docs/mirror.md).

server.start_mirror() serves it; archive.truth() gives the facts of every article.
"""
