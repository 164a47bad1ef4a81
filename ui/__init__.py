"""Shared pieces of the Streamlit app: translations, Plotly chart builders, and page helpers."""
