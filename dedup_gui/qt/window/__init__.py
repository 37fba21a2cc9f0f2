"""The main window: wiring, actions and menus, layout, status, secondary dialogs.

The top room of qt: may import every other room. No re-exports.
"""
