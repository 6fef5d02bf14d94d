"""The Japanese and English interface: locale choice, the language switcher, names in either script."""
