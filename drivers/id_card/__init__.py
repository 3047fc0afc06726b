"""Resident ID card readers (二代身份证阅读器) speaking the SAM serial protocol."""
