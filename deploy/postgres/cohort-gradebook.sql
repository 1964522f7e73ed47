-- One PostgreSQL database and role per cohort for its nbgrader gradebook. Run as a superuser:
--   psql -v db=gb_kefu2025a -v pw='<password>' -f deploy/postgres/cohort-gradebook.sql
-- nbgrader creates its tables on first use. Then point the cohort at it (copies roster + assignments):
--   kefu hub db --course <cohort folder> --db postgresql://gb_kefu2025a:<password>@<host>:5432/gb_kefu2025a
-- (or `kefu hub up --db …`). The kit's PostgreSQL path is tested on this machine with Debian's
-- PostgreSQL 15 by tests/test_postgres.py (trust authentication on a throw-away cluster); this
-- script is not run by any test.
CREATE ROLE :"db" LOGIN PASSWORD :'pw';
CREATE DATABASE :"db" OWNER :"db" ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
