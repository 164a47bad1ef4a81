"""快速录入: spoken decisions typed or pasted in Chinese, read into plan decisions (``parse``)."""

from simulator.quick.parse import ParseResult, Piece, parse

__all__ = ["ParseResult", "Piece", "parse"]
