"""Build-time calculations for the Casebook.

Each module holds pure functions (the formulas) and small display functions (what a page shows).
Pages call display functions through shortcodes such as ``{{ table: video_recommendation.budget_table }}``.
"""
