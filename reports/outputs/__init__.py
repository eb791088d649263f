"""Renderings of the figures: the grid shared by every output, the page, xlsx, docx and charts."""
