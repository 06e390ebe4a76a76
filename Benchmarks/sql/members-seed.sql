-- MEMBERS activated members of one member card, written straight into the database (the
-- bulk path of Benchmarks/scale.sh), exactly as /sandbox/card/claim and auto-activation would
-- have made them: openid o…n (27 digits), custom code M…n (7 digits), as lua/claim.lua names
-- them, so lua/member.lua finds them. sed fills in @APPID@, @CARD@, @MEMBERS@, @NOW@, and
-- @OPENID@ / @CODE@, the engine's way of padding a number (printf on SQLite, lpad on PostgreSQL).
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @MEMBERS@)
INSERT INTO user_cards (appid, ucid, card_id, code, code_scope, openid, status, claim_time, activated, membership_number,
                        update_time)
SELECT '@APPID@', 'seed' || i, '@CARD@', @CODE@, '@CARD@', @OPENID@, 'NORMAL', @NOW@, TRUE, @CODE@, @NOW@
FROM n;

UPDATE cards SET quantity = quantity - @MEMBERS@ WHERE appid = '@APPID@' AND card_id = '@CARD@';
