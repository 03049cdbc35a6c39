const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
const db = process.env.DATABASE_URL;
module.exports = { stripe, db };
