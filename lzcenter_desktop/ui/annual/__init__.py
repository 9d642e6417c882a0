"""The 年报 section (第二十一条): the year's 工作年报 and their 现场核查."""
