"""Copy to config.py and fill in. Placeholders only: never commit real keys."""

STRIPE_SECRET_KEY = "your-api-key-here"
SENDGRID_API_KEY = "changeme"
DATABASE_URL = "postgres://user:password@localhost:5432/app"
