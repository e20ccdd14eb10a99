#!/usr/bin/env bash
# Installs what Nabla's audio features need outside .NET: Debian's espeak-ng speech synthesiser, which
# `nabla train speech` uses to build its spoken-digit data set (and its tests, which are skipped without it).
# Does nothing when espeak-ng is already installed. Needs root (or sudo) for apt-get.
exec bash "$(dirname "$0")/apt-install.sh" setup-audio espeak-ng espeak-ng
