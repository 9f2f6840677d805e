"""Retention: raw survey answers are deleted a set time after a survey closes; counts are kept."""
