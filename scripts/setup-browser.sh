#!/usr/bin/env bash
# Installs Debian's chromium, which one test uses headless to open the lab's HTML reports and check that every
# image loads (the test is skipped without it). Does nothing when chromium is already installed. Needs root (or
# sudo) for apt-get.
exec bash "$(dirname "$0")/apt-install.sh" setup-browser chromium chromium
