"""Appeals pages, one module per noun: resident.py (report, follow, rate, withdraw; core.kept_files keeps the photos
while its form is corrected), workbench.py (the staff queue and its export), detail.py (an appeal's staff page
and its actions), hotline.py and patrol.py (staff intake), topics.py (每月一题), qr.py (grid-station codes),
inbox.py (notifications) and common.py (what several of them share).

Domain errors are turned into responses by linli.core.pages (one middleware, one decorator), not here."""
