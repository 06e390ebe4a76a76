-- A year of member-card activity for the datacube benchmark, written straight into the
-- database (SQLite or PostgreSQL: the SQL is common to both). sed fills in @APPID@, @CARD@,
-- @MEMBERS@ and @TODAY@ (the China day number of the server's today).
--
-- Member i claims on day FIRST + i % 365 (FIRST = TODAY - 365) and is activated at once; 3
-- days later they open the card, 10 days later they pay 2000 fen (1800 after the member
-- discount) with it, and every 50th member deletes the card 20 days after claiming.
-- Acts that would fall on today or later are left out: the year ends yesterday.

WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @MEMBERS@)
INSERT INTO user_cards (appid, ucid, card_id, code, code_scope, openid, status, claim_time, activated, membership_number, update_time)
SELECT '@APPID@', 'seed' || i, '@CARD@', 'S' || i, '@CARD@', 'oseed' || i,
       CASE WHEN i % 50 = 0 AND (@TODAY@ - 365 + i % 365) + 20 < @TODAY@ THEN 'DELETE' ELSE 'NORMAL' END,
       (@TODAY@ - 365 + i % 365) * 86400 - 28800 + 3600 + (i / 365) % 80000, TRUE, 'S' || i,
       (@TODAY@ - 365 + i % 365) * 86400 - 28800 + 3600 + (i / 365) % 80000
FROM n;

WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @MEMBERS@)
INSERT INTO card_activity (appid, day, id, card_id, source, member, openid, kind, hold, fee, original_fee)
SELECT '@APPID@', @TODAY@ - 365 + i % 365, 'r' || i, '@CARD@', 1, TRUE, 'oseed' || i, 'receive', 1, 0, 0 FROM n;

WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @MEMBERS@)
INSERT INTO card_activity (appid, day, id, card_id, source, member, openid, kind, hold, fee, original_fee)
SELECT '@APPID@', @TODAY@ - 365 + i % 365, 'a' || i, '@CARD@', 1, TRUE, 'oseed' || i, 'active', 0, 0, 0 FROM n;

WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @MEMBERS@)
INSERT INTO card_activity (appid, day, id, card_id, source, member, openid, kind, hold, fee, original_fee)
SELECT '@APPID@', @TODAY@ - 365 + i % 365 + 3, 'v' || i, '@CARD@', 1, TRUE, 'oseed' || i, 'view', 0, 0, 0 FROM n
WHERE i % 365 + 3 < 365;

WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @MEMBERS@)
INSERT INTO card_activity (appid, day, id, card_id, source, member, openid, kind, hold, fee, original_fee)
SELECT '@APPID@', @TODAY@ - 365 + i % 365 + 10, 'p' || i, '@CARD@', 1, TRUE, 'oseed' || i, 'pay', 0, 1800, 2000 FROM n
WHERE i % 365 + 10 < 365;

WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @MEMBERS@)
INSERT INTO card_activity (appid, day, id, card_id, source, member, openid, kind, hold, fee, original_fee)
SELECT '@APPID@', @TODAY@ - 365 + i % 365 + 20, 'd' || i, '@CARD@', 1, TRUE, 'oseed' || i, 'end', -1, 0, 0 FROM n
WHERE i % 50 = 0 AND i % 365 + 20 < 365;

UPDATE cards SET quantity = quantity - @MEMBERS@ WHERE appid = '@APPID@' AND card_id = '@CARD@';
