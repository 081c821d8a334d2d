"""Delivery channels: a registry of ways to deliver a run's artifact, and the outbox."""
