"""Pure non-spatial code: constants, indicators, the risk index, the register rules, figures."""
