#!/usr/bin/env bash
# Set up and run the app: http://localhost:8501 (PORT=... to change it).
cd "$(dirname "$0")/.."
source scripts/setup.sh
exec .venv/bin/python -m streamlit run app.py --server.port "${PORT:-8501}"
