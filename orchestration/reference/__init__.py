"""Builders for the reference seeds (see build.py); run by `bluehelm reference`."""
