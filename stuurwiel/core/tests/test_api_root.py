"""``/api/`` names the entry points, and each of them answers."""


def test_api_root_lists_entry_points_that_exist(client, django_user_model):
    root = client.get("/api/")
    assert root.status_code == 200
    links = root.json()
    assert set(links) == {"organisations", "frameworks", "schema", "docs", "redoc"}
    assert links["organisations"].endswith("/api/organisations/")
    user = django_user_model.objects.create_user(username="lezer", password="pw-Test-123!")
    client.force_login(user)
    for url in links.values():
        assert client.get(url).status_code == 200, url
