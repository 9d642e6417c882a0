"""第二十一条 工作年报 services: the year's due dates and reminders (:mod:`.dues`) and the random
draw of reports for on-site verification with its findings (:mod:`.spot_checks`)."""
