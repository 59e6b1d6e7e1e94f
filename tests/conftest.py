import sys
from pathlib import Path

# Tests import the app's packages (trialguide, components, scripts) from the checkout.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
