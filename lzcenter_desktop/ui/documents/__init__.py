"""The 文档 page: plaques, certificates and lists with preview and print; the 验证证书 dialog."""
