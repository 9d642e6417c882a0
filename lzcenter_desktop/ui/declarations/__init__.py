"""The 申报 part of the window: the list of declarations and the wizard generated from the form definition."""
