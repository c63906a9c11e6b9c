CREATE OR REPLACE FUNCTION public.usergraph_count_changes()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO '$user', 'public'
AS $function$
DECLARE
  changed bigint;
BEGIN
  -- Transition tables exist only for the events that have them.
  IF TG_OP = 'DELETE' THEN
    SELECT count(*) INTO changed FROM old_rows;
  ELSE
    SELECT count(*) INTO changed FROM new_rows;
  END IF;
  PERFORM nextval('usergraph_changed_rows') FROM generate_series(1, changed);
  RETURN NULL;
END
$function$
