"""The MCP server (`xyguard mcp`): the pipeline as tools a model can call, over stdio."""
