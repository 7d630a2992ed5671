"""Notices, enterprise emails, the analyst digest, deadlines and the outbox."""
