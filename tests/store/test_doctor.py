from muba_desk.store.doctor import check


def fill(registry):
    with registry.transaction():
        for rt in range(5):
            registry.insert("household", {"village_code": "16.06.01.2003", "rt": str(rt)})


def test_a_fresh_registry_is_healthy(db, registry):
    fill(registry)
    assert check(db) == []


def test_editing_an_audit_row_by_hand_is_found_and_named(db, registry):
    fill(registry)
    # Someone determined drops the guard first, then rewrites history.
    db.execute("DROP TRIGGER audit_no_update")
    db.execute("UPDATE audit SET operator_id = 'pemalsu' WHERE seq = 3")
    messages = [p.message for p in check(db)]
    assert any("Baris audit 3" in m and "diubah" in m for m in messages)
    assert any("audit_no_update" in m for m in messages)
    assert not any("Baris audit 2" in m or "Baris audit 4" in m for m in messages)


def test_a_removed_audit_row_breaks_the_chain_at_the_next_one(db, registry):
    fill(registry)
    db.execute("DROP TRIGGER audit_no_delete")
    db.execute("DELETE FROM audit WHERE seq = 2")
    messages = [p.message for p in check(db)]
    assert any("Baris audit 3" in m and "putus" in m for m in messages)
