"""The trial explainer's domain, in plain Python (never imports Streamlit).

Content, catalogs and locale rules live here so they can be tested without a browser and
loaded once per process. Streamlit screens in ``components/`` only ask this package for text.
"""
