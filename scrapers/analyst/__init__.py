"""The analyst layer: `thads status`, `thads query` and `thads report`.

Everything here reads the lake files and the warehouse; nothing writes the
warehouse (it is opened read-only).
"""
