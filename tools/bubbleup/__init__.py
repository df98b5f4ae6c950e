"""Bubbleup: a Git-native idea platform."""
