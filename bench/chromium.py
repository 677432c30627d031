"""Debian's Chromium as the explorer's browser tests and benchmark launch it: headless, and with
nothing that reaches the network on its own (no background networking, updates or sync)."""

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
