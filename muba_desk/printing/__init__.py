"""Printed documents (ReportLab): beneficiary cards, receipts and office sheets with signed QR."""
