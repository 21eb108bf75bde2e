"""Linli (邻里): community governance for Chinese cities."""
