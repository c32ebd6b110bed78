"""Pictures of the graph: an interactive HTML view, matplotlib plots and a Neo4j Browser style.

All of them take their colours from :mod:`chipkg.viz.style`.
"""
