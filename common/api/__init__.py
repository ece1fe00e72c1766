"""What every endpoint of the partner API shares, one module per concern.

The resources themselves live in each app's `api/` package and are routed by
`chantier/api.py`.
"""
