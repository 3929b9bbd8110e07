import nest_asyncio

nest_asyncio.apply()  # a loop runner may now re-enter the running loop, in every module
