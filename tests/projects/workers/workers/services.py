"""What the server does to install an extension."""


async def install_extension(name: str) -> str:
    return name
