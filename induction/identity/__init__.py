"""The network's identity (names, logo, brand colour, sender, support contact, footer links).

Saved on the admin page (induction.admin.identity) with the configuration's values as
defaults, and read here, cheaply, by every page, email and certificate: see `current`.
"""
