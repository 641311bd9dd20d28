"""Hardened object stores built once and shared: the S3 bucket and the Azure storage account."""
