"""Streamlit screens. Each module owns one screen and stays thin: words come from
``content/`` and ``locales/`` through the ``trialguide`` package."""
