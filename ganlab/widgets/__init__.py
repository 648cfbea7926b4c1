"""Widgets: each is a function that returns an ipywidgets widget; its callback is a plain function
that a test can call without a browser. One module per topic."""
